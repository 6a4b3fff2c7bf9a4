// The output directory of `nutmeg fit`: created and checked for writing before any sampling, so a bad --out fails at once.
import { InputError } from 'nutmeg';
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Creates `dir` (and its parents) and checks that a file can be written in it.
 *
 * @param dir - the --out directory
 * @throws InputError when the directory cannot be created or written
 */
export async function prepareOutDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    // access() can say yes where writing fails (read-only mounts, some ACLs): write a probe file.
    const probe = join(dir, `.nutmeg-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError(`--out ${dir}: cannot write there (${code})`);
  }
}
