// Writes dist/THIRD-PARTY-NOTICES.txt: every npm package esbuild bundled into dist/, with its version, licence and
// licence text, so the .vsix and the npm package carry the notices of the code they ship.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package folder (`node_modules/name` or `node_modules/@scope/name`) an esbuild input path lies in. */
function packageFolderOf(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

function licenceText(folder) {
  const name = readdirSync(folder).find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
  return name ? readFileSync(join(folder, name), 'utf8').trim() : undefined;
}

/** Builds the notices from esbuild metafiles; returns the bundled package names, sorted. */
export function writeThirdPartyNotices(metafiles, outfile) {
  const folders = new Set();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const folder = packageFolderOf(input);
      if (folder) folders.add(folder);
    }
  }
  const packages = [...folders].map((folder) => {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    return { name: manifest.name, version: manifest.version, license: manifest.license ?? 'see licence text', text: licenceText(folder) };
  }).sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set();
  const sections = [];
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    sections.push(`${id} (${pkg.license})\n\n${pkg.text ?? 'No licence file in the package; its licence is given above.'}`);
  }
  const header = 'citekeys bundles the following npm packages into dist/. Their notices and licences follow.\n';
  writeFileSync(outfile, `${header}\n${sections.join(`\n\n${'='.repeat(78)}\n\n`)}\n`);
  return [...seen].sort();
}
