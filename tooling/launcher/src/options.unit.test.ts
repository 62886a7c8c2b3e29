import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgarMirrorFolderError, parseLauncherOptions } from './options';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbology-options-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (...argv: string[]) => parseLauncherOptions(argv, {});

describe('--edgar-mirror', () => {
  it('given a folder holding an EDGAR recording, then its absolute path is used', async () => {
    await mkdir(join(dir, 'data.sec.gov'));

    const options = parse('--', '--edgar-mirror', dir);

    expect(options).toMatchObject({ edgarMirror: dir });
  });

  it('given a folder that does not exist (a fresh clone without ../shared/edgar), then the start is refused, naming it and what to do', () => {
    const missing = join(dir, 'edgar');

    const refused = () => parse('--edgar-mirror', missing);

    expect(refused).toThrow(EdgarMirrorFolderError);
    expect(refused).toThrow(`--edgar-mirror: the folder ${missing} does not exist.`);
    expect(refused).toThrow(/www\.sec\.gov\/, data\.sec\.gov\/.*or leave --edgar-mirror out and set SEC_USER_AGENT=/);
  });

  it('given a relative folder that does not exist, then both the path as typed and where it resolved are named', () => {
    const refused = () => parse('--edgar-mirror', '../no-such-edgar-recording');

    expect(refused).toThrow(/the folder \.\.\/no-such-edgar-recording \(\/.*no-such-edgar-recording\) does not exist/);
  });

  it('given a folder with neither www.sec.gov nor data.sec.gov inside, then the start is refused, saying so', async () => {
    await writeFile(join(dir, 'README.md'), 'not a recording');

    const refused = () => parse('--edgar-mirror', dir);

    expect(refused).toThrow(EdgarMirrorFolderError);
    expect(refused).toThrow(
      `--edgar-mirror: the folder ${dir} holds no EDGAR recording (neither www.sec.gov nor data.sec.gov inside).`,
    );
  });

  it('given a file instead of a folder, then the start is refused, saying so', async () => {
    const file = join(dir, 'edgar.tar');
    await writeFile(file, '');

    expect(() => parse('--edgar-mirror', file)).toThrow(`--edgar-mirror: ${file} is a file, not a folder.`);
  });

  it('given no --edgar-mirror, then no folder is asked for', () => {
    expect(parse()).toMatchObject({ edgarMirror: undefined });
  });
});
