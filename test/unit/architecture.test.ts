/**
 * The layering rules of docs/architecture.md, checked on the source text: the domain depends on nothing outside
 * itself (no ports, adapters, handlers, use cases, AWS SDK, environment or clock), use cases never reach for an
 * adapter, no code is generated at run time, and no source file grows past what one can hold in one's head.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string, ext = '.ts'): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The module specifiers a file imports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2]!);
}

/** Comments removed, so a rule about code is not broken by a sentence that names what it forbids. */
const codeOf = (file: string): string =>
  readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('the domain owns its model and depends on nothing outside it', () => {
  const domain = sources('lambdas/domain');

  it('imports no port, adapter, handler, use case, CLI or local module, and no AWS SDK', () => {
    const offending = domain.flatMap((file) => importsOf(file)
      .filter((spec) => /(^|\/)(ports|adapters|handlers|use-cases|cli|local)\//.test(spec) || spec.startsWith('@aws-sdk/'))
      .map((spec) => `${file} imports ${spec}`));
    expect(offending).toEqual([]);
  });

  it('reads no environment variable and no clock', () => {
    const offending = domain.filter((file) => /process\.env|Date\.now\(\)|new Date\(\)/.test(codeOf(file)));
    expect(offending).toEqual([]);
  });

  it('use cases reach the outside world only through ports', () => {
    const offending = sources('lambdas/use-cases').flatMap((file) => importsOf(file)
      .filter((spec) => /(^|\/)(adapters|handlers|cli|local)\//.test(spec) || spec.startsWith('@aws-sdk/'))
      .map((spec) => `${file} imports ${spec}`));
    expect(offending).toEqual([]);
  });
});

describe('code a newcomer can read', () => {
  const code = [...sources('lambdas'), ...sources('lib'), ...sources('bin'), ...sources('bin', '.js')];

  it('no code is generated at run time (new Function, eval)', () => {
    const offending = code.filter((file) => /new\s+Function\s*\(|\beval\s*\(/.test(codeOf(file)));
    expect(offending).toEqual([]);
  });

  it('no source file is over 500 lines', () => {
    const all = [...code, ...sources('scripts'), ...sources('bench'), ...sources('test')]
      .filter((file) => !file.endsWith('compiled-template.ts')); // generated from templates/*.mjml
    const long = all
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > 500)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
