/** A model file that cannot be explained: unreadable, not a tree ensemble, or inconsistent. Names the file. */
export class TreeModelError extends Error {
  override name = 'TreeModelError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
