-- Neovim (0.7+) as a plain LSP client of citekeys-ls: opens examples/paper.md, paper.tex and a Typst chapter, asks for
-- completion and hover, waits for diagnostics, and writes everything it saw as JSON to $CITEKEYS_RESULT. Driven by
-- neovim.test.ts.
local server = os.getenv('CITEKEYS_SERVER')
local workspace = os.getenv('CITEKEYS_WORKSPACE')
local result_file = os.getenv('CITEKEYS_RESULT')
local seen = { log = {} }

local function note(message) table.insert(seen.log, message) end

local function finish()
  local out = io.open(result_file, 'w')
  out:write(vim.json.encode(seen))
  out:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'citekeys',
    cmd = { 'node', server, '--stdio' },
    root_dir = workspace,
    on_exit = function(code) note('server exited with ' .. tostring(code)) end,
  })
  assert(client_id, 'start_client failed')

  --- Opens a file of the workspace; `filetype` (what a newer Neovim detects, e.g. typst) is sent as its languageId.
  local function open(name, filetype)
    vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/' .. name))
    local bufnr = vim.api.nvim_get_current_buf()
    if filetype then vim.bo[bufnr].filetype = filetype end
    vim.lsp.buf_attach_client(bufnr, client_id)
    return bufnr
  end

  --- 0-based line and UTF-16 character of the first `needle` in the buffer, plus `offset`.
  local function position_of(bufnr, needle, offset)
    for line, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
      local col = text:find(needle, 1, true)
      if col then return { line = line - 1, character = vim.str_utfindex(text, col - 1 + offset) } end
    end
    error('not found: ' .. needle)
  end

  local function request(bufnr, method, position)
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = position }
    local responses, request_err = vim.lsp.buf_request_sync(bufnr, method, params, 15000)
    if not responses then return { error = tostring(request_err) } end
    local response = responses[client_id] or {}
    return { result = response.result, error = response.err and response.err.message or nil }
  end

  --- Appends `text` as a new last line and returns the position at its end.
  local function type_line(bufnr, text)
    local count = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, count, count, false, { text })
    return { line = count, character = vim.str_utfindex(text) }
  end

  local markdown = open('paper.md')
  local initialized = vim.wait(20000, function()
    local client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end, 50)
  seen.initialized = initialized
  assert(initialized, 'the server did not answer initialize within 20 s')
  seen.capabilities = vim.lsp.get_client_by_id(client_id).server_capabilities

  --- Waits (up to 20 s) for a diagnostic on the line of `at`, then returns the buffer's diagnostics.
  local function diagnostics_after(bufnr, at)
    vim.wait(20000, function()
      for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
        if diagnostic.lnum == at.line then return true end
      end
      return false
    end, 50)
    local list = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, {
        line = diagnostic.lnum, character = diagnostic.col, message = diagnostic.message,
        severity = diagnostic.severity, code = diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code),
      })
    end
    return list
  end

  local undefined_at = position_of(markdown, '@gerefi2019', 1)
  seen.undefinedAt = undefined_at
  seen.diagnostics = diagnostics_after(markdown, undefined_at)

  seen.hover = request(markdown, 'textDocument/hover', position_of(markdown, '@barrientos2011', 3))
  seen.markdownCompletion = request(markdown, 'textDocument/completion', type_line(markdown, 'See [@gere'))

  local latex = open('paper.tex')
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  local before = position_of(latex, '\\bibliographystyle', 0)
  vim.api.nvim_buf_set_lines(latex, before.line, before.line, false, { 'Also \\citep{gere' })
  seen.latexCompletion = request(latex, 'textDocument/completion', { line = before.line, character = 16 })

  -- A Typst chapter: its keys are checked against, and complete from, the bibliography of paper.typ that includes it.
  local typst = open('typst/chapters/intro.typ', 'typst')
  seen.typstFiletype = vim.bo[typst].filetype
  local typst_undefined_at = position_of(typst, '@humprey2002', 1)
  seen.typstUndefinedAt = typst_undefined_at
  seen.typstDiagnostics = diagnostics_after(typst, typst_undefined_at)
  seen.typstCompletion = request(typst, 'textDocument/completion', type_line(typst, 'Also @gere'))
end)
if not ok then seen.error = tostring(err) end
finish()
