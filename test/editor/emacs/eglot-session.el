;;; eglot-session.el --- Emacs + eglot as a real LSP client of citekeys-ls; driven by test/editor/emacs.test.ts  -*- lexical-binding: t -*-
;; Loads the README's Emacs snippet ($CITEKEYS_SNIPPET), opens paper.md then paper.tex in ONE eglot session, asks
;; for completion, hover and flymake diagnostics, and writes what it saw as JSON to $CITEKEYS_RESULT.

(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defvar citekeys-seen (list (cons 'log nil)))

(defun citekeys-note (key value) (setf (alist-get key citekeys-seen) value))

(defun citekeys-note-events ()
  "The end of each eglot server's JSON-RPC log, for a failed run."
  (when (boundp 'eglot--servers-by-project)
    (citekeys-note 'log (vconcat (cl-loop for servers being the hash-values of eglot--servers-by-project
                                          append (mapcar (lambda (server)
                                                           (with-current-buffer (jsonrpc-events-buffer server)
                                                             (buffer-substring-no-properties (max (point-min) (- (point-max) 4000)) (point-max))))
                                                         servers))))))

(defun citekeys-finish ()
  (with-temp-file (getenv "CITEKEYS_RESULT")
    (insert (json-encode citekeys-seen)))
  (kill-emacs 0))

(defun citekeys-after-command ()
  "What the command loop does after a command: eglot-ensure and flymake wait for it."
  (run-hooks 'post-command-hook))

(defun citekeys-wait (what predicate &optional soft)
  "Process server output until PREDICATE holds (at most 20 s); then fail, or with SOFT just return nil."
  (let ((deadline (+ (float-time) 20)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall predicate) soft (error "Timed out waiting for %s" what))))

(defun citekeys-diagnostics-on (line)
  (cl-remove-if-not (lambda (d) (= line (line-number-at-pos (flymake-diagnostic-beg d)))) (flymake-diagnostics)))

(defun citekeys-visible (string)
  "STRING as a reader sees it: text with an `invisible' property left out."
  (let ((out "") (i 0))
    (while (< i (length string))
      (let ((next (next-single-property-change i 'invisible string (length string))))
        (unless (get-text-property i 'invisible string) (setq out (concat out (substring-no-properties string i next))))
        (setq i next)))
    out))

(defun citekeys-open (name)
  (find-file (expand-file-name name (getenv "CITEKEYS_WORKSPACE")))
  (citekeys-after-command)
  (citekeys-wait (format "eglot to manage %s" name) (lambda () (bound-and-true-p eglot--managed-mode)))
  (current-buffer))

(defun citekeys-complete-at-point ()
  "The candidates `completion-at-point' would offer here, through eglot's capf."
  (let ((capf (eglot-completion-at-point)))
    (if (not capf) :no-capf
      (all-completions (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)) (nth 2 capf)))))

(condition-case err
    (progn
      ;; Debian's elpa-* packages, as a plain `emacs' activates them (-Q leaves out the site folders).
      (require 'package)
      (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
      (package-initialize)
      (load (getenv "CITEKEYS_SNIPPET") nil t)
      (require 'eglot)
      (citekeys-note 'versions (list emacs-version (if-let ((eglot (cadr (assq 'eglot package-alist))))
                                                          (package-version-join (package-desc-version eglot))
                                                        "built in")))

      ;; Markdown first: connects the one server of the snippet's entry.
      (let ((markdown (citekeys-open "paper.md")))
        (with-current-buffer markdown
          (citekeys-note 'mode (list (symbol-name major-mode)))
          (citekeys-note 'languageId (eglot--language-id (eglot-current-server)))
          ;; Diagnostics: flymake starts its backends once the buffer is shown; in batch nothing is shown.
          (flymake-start)
          (goto-char (point-min))
          (search-forward "@gerefi2019")
          (let ((line (line-number-at-pos)))
            (citekeys-note 'undefinedLine line)
            (citekeys-wait "a flymake diagnostic on the misspelt key" (lambda () (citekeys-diagnostics-on line)))
            ;; The snippet's settings make it an error; wait for that level, and let the test say if it never comes.
            (citekeys-wait "the configured level" (lambda () (cl-some (lambda (d) (eq (flymake-diagnostic-type d) 'eglot-error))
                                                                      (citekeys-diagnostics-on line)))
                           t))
          (citekeys-note 'diagnostics
                         (vconcat (mapcar (lambda (d) (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                                                            (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                                            (cons 'text (flymake-diagnostic-text d))))
                                          (flymake-diagnostics))))
          ;; Hover, rendered the way eglot shows it (eldoc / *eglot help*).
          (goto-char (point-min))
          (search-forward "@barrientos2011")
          (backward-char 4)
          (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
                 (contents (plist-get hover :contents)))
            (citekeys-note 'hoverMarkdown (if (stringp contents) contents (plist-get contents :value)))
            (citekeys-note 'hoverShown (citekeys-visible (eglot--hover-info contents))))
          ;; Completion after typing a new citation at the end.
          (goto-char (point-max))
          (insert "\nSee [@gere")
          (citekeys-note 'markdownCompletion (vconcat (citekeys-complete-at-point)))))

      ;; Then LaTeX, in the same session: eglot names this buffer with the server's one languageId.
      (let ((latex (citekeys-open "paper.tex")))
        (with-current-buffer latex
          (citekeys-note 'mode (append (alist-get 'mode citekeys-seen) (list (symbol-name major-mode))))
          (goto-char (point-min))
          (search-forward "\\bibliographystyle")
          (beginning-of-line)
          (insert "Also \\cite{gere")
          (citekeys-note 'latexCompletion (vconcat (citekeys-complete-at-point)))
          (insert "}\n")))

      ;; A chapter in a subfolder whose bibliography is one folder up: the .project marker keeps the root there.
      (let ((chapter (citekeys-open "chapters/ch1.md")))
        (with-current-buffer chapter
          (citekeys-note 'chapterRoot (expand-file-name (project-root (eglot--project (eglot-current-server)))))
          (goto-char (point-max))
          (insert "\nSee [@gere")
          (citekeys-note 'chapterCompletion (vconcat (citekeys-complete-at-point)))))
      (citekeys-note 'servers (cl-loop for servers being the hash-values of eglot--servers-by-project sum (length servers))))
  (error (citekeys-note 'error (error-message-string err))
         (citekeys-note-events)))
(citekeys-finish)
