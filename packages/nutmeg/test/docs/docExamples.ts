// Extracts the ```ts code of TSDoc @example tags and of the README, and type-checks it against the package's public entry points.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The library package's folder and the repository root. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_ROOT = join(PACKAGE_DIR, '../..');

/** One code example: where it comes from and its TypeScript text. */
export interface DocExample {
  /** `path:line` of the example's first code line, for messages. */
  readonly where: string;
  /** The source file that documents it (its exports are in scope when the example has no imports); absent for the README. */
  readonly sourceFile?: string;
  readonly code: string;
}

/** The public entry points, in the order a name is looked up when an example has no import lines. */
const ENTRY_POINTS = [
  { specifier: 'nutmeg', file: 'src/index.ts' },
  { specifier: 'nutmeg/kernels', file: 'src/kernels.ts' },
  { specifier: 'nutmeg/node', file: 'src/node.ts' },
] as const;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'vendor') sourceFiles(p, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/**
 * The code of every `@example` tag in the library's sources (`src/**.ts`): its ```ts block, or
 * without a fence its lines up to a blank line (as TypeDoc shows them), the leading ` * ` removed.
 */
export function tsdocExamples(srcDir = join(PACKAGE_DIR, 'src')): DocExample[] {
  const out: DocExample[] = [];
  for (const file of sourceFiles(srcDir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
      let j = i + 1;
      while (j < lines.length && !/^\s*\*\s*```/.test(lines[j]) && !/^\s*\*\s*@\w/.test(lines[j]) && !/\*\//.test(lines[j])) j++;
      if (j >= lines.length || !/^\s*\*\s*```(ts|typescript)\s*$/.test(lines[j])) {
        // No fence: the example is the comment's lines up to a blank line, the next tag or the end (TypeDoc shows them as code).
        const body: string[] = [];
        let k = i + 1;
        for (; k < lines.length && !/^\s*\*\s*$/.test(lines[k]) && !/^\s*\*\s*@\w/.test(lines[k]) && !/\*\//.test(lines[k]); k++) body.push(lines[k].replace(/^\s*\* ?/, ''));
        out.push({ where: `${relative(REPO_ROOT, file)}:${i + 2}`, sourceFile: file, code: body.join('\n') });
        i = k - 1;
        continue;
      }
      const body: string[] = [];
      let k = j + 1;
      for (; k < lines.length && !/^\s*\*\s*```\s*$/.test(lines[k]); k++) body.push(lines[k].replace(/^\s*\* ?/, ''));
      out.push({ where: `${relative(REPO_ROOT, file)}:${j + 2}`, sourceFile: file, code: body.join('\n') });
      i = k;
    }
  }
  return out;
}

/**
 * The README's ```ts blocks, in order, except those whose opening fence says `skip`
 * (```ts skip); together they form one script.
 */
export function readmeBlocks(readmePath = join(REPO_ROOT, 'README.md')): { line: number; code: string }[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const body: string[] = [];
    let k = i + 1;
    for (; k < lines.length && !/^```\s*$/.test(lines[k]); k++) body.push(lines[k]);
    if (!/\bskip\b/.test(open[2])) blocks.push({ line: i + 2, code: body.join('\n') });
    i = k;
  }
  return blocks;
}

/** Names exported by each file, via the type checker. */
function exportsOf(program: ts.Program, files: readonly string[]): Map<string, Set<string>> {
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  for (const f of files) {
    const sf = program.getSourceFile(f);
    const sym = sf && checker.getSymbolAtLocation(sf);
    out.set(f, new Set(sym ? checker.getExportsOfModule(sym).map((s) => s.name) : []));
  }
  return out;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  customConditions: ['development'],
};

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, "''");
}

/**
 * The import lines an example without imports needs: every identifier it uses that a public entry
 * point exports (`nutmeg` first, then `nutmeg/kernels`, `nutmeg/node`), else that its own source
 * file exports (an internal's example), unless the example declares it.
 */
function preludeFor(example: DocExample, code: string, exported: Map<string, Set<string>>, dir: string): string {
  if (/^\s*import\s/m.test(code)) return '';
  const words = new Set(stripComments(code).match(/\b[A-Za-z_$][\w$]*\b/g) ?? []);
  const declared = new Set([...code.matchAll(/\b(?:const|let|var|function|class|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  for (const m of code.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}/g)) for (const n of m[1].split(',')) declared.add(n.split(':').pop()!.trim());
  const byModule = new Map<string, string[]>();
  const sources: { specifier: string; names: Set<string> }[] = ENTRY_POINTS.map((e) => ({ specifier: e.specifier, names: exported.get(join(PACKAGE_DIR, e.file))! }));
  if (example.sourceFile) {
    const rel = relative(dir, example.sourceFile).replace(/\\/g, '/').replace(/\.ts$/, '.js');
    sources.push({ specifier: rel.startsWith('.') ? rel : `./${rel}`, names: exported.get(example.sourceFile) ?? new Set() });
  }
  for (const w of words) {
    if (declared.has(w)) continue;
    const from = sources.find((s) => s.names.has(w));
    if (from) byModule.set(from.specifier, [...(byModule.get(from.specifier) ?? []), w]);
  }
  return [...byModule].map(([spec, names]) => `import { ${names.sort().join(', ')} } from '${spec}';\n`).join('');
}

/** A type error in an example, located in its original file. */
export interface ExampleError {
  readonly where: string;
  readonly message: string;
}

/**
 * Type-checks examples as a user's modules would be: each in its own file, `nutmeg`, `nutmeg/kernels`
 * and `nutmeg/node` resolved to the package's TypeScript sources, strict mode.
 *
 * @returns one entry per diagnostic (empty when every example compiles)
 */
export function checkExamples(examples: readonly DocExample[]): ExampleError[] {
  const { dir, remove } = repoTempDir('nutmeg-examples-');
  try {
    const entryFiles = ENTRY_POINTS.map((e) => join(PACKAGE_DIR, e.file));
    const ownFiles = [...new Set(examples.flatMap((e) => (e.sourceFile ? [e.sourceFile] : [])))];
    const exported = exportsOf(ts.createProgram([...entryFiles, ...ownFiles], COMPILER_OPTIONS), [...entryFiles, ...ownFiles]);
    const files: { path: string; example: DocExample; preludeLines: number }[] = [];
    examples.forEach((example, n) => {
      const path = join(dir, `example${n}.ts`);
      const prelude = preludeFor(example, example.code, exported, dir);
      // `export {}` makes every example a module (top-level await, no shared globals).
      writeFileSync(path, `${prelude}${example.code}\nexport {};\n`);
      files.push({ path, example, preludeLines: prelude === '' ? 0 : prelude.split('\n').length - 1 });
    });
    const program = ts.createProgram(files.map((f) => f.path), COMPILER_OPTIONS);
    const errors: ExampleError[] = [];
    for (const f of files) {
      const sf = program.getSourceFile(f.path)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line - f.preludeLines;
        const [file, first] = f.example.where.split(/:(?=\d+$)/);
        errors.push({ where: `${file}:${Number(first) + Math.max(line, 0)}`, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
      }
    }
    return errors;
  } finally {
    remove();
  }
}

/**
 * A temporary ES-module folder inside the repository's node_modules/.cache, so that `nutmeg`
 * resolves through the workspace link as it would in a user's project.
 */
export function repoTempDir(prefix: string): { dir: string; remove: () => void } {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, prefix));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
