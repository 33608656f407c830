/** The generated-file header: a hash of the rest of the file tells edited files from unedited ones. */
import { hashOf, stamp, stampState } from '../../src/suite/content-hash';

describe('stamp / stampState', () => {
  it('marks a file as generated with the hash of its body', () => {
    const text = stamp('const a = 1;\n', 'ts');
    expect(text.split('\n')[0]).toBe(`// lazymm-generated sha256:${hashOf('const a = 1;\n')} (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)`);
    expect(text.endsWith('\nconst a = 1;\n')).toBe(true);
    expect(stamp('# t\n', 'md').startsWith('<!-- lazymm-generated sha256:')).toBe(true);
  });

  it('tells unedited, edited and foreign files apart', () => {
    const text = stamp('line 1\nline 2\n', 'ts');
    expect(stampState(text)).toBe('unedited');
    expect(stampState(`${text}// mine\n`)).toBe('edited');
    expect(stampState(text.replace('line 2', 'line two'))).toBe('edited');
    expect(stampState(text.slice(text.indexOf('\n') + 1))).toBe('not-generated');
    expect(stampState('')).toBe('not-generated');
    expect(stampState(stamp('', 'md'))).toBe('unedited');
  });
});
