// Reads a user's input file as text, turning file-system errors into an InputError that names the file.
import { readFile } from 'node:fs/promises';
import { InputError } from 'nutmeg';
import { osReason } from './outputFolder.js';

/**
 * The text of `file`.
 *
 * @throws InputError `FILE: cannot read: no such file` (or `is a directory`, or the system's reason with its code)
 */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : osReason(e);
    throw new InputError(`${file}: cannot read: ${why}`);
  }
}
