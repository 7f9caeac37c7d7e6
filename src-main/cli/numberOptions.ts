import { InvalidArgumentError } from 'commander';

/** Commander parsers for numeric options, with a message naming the option and the range. */

export function wholeNumber(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max} (got '${value}')`);
    }
    return n;
  };
}

export function positiveNumber(flag: string, allowZero = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
      throw new InvalidArgumentError(`${flag} takes a number ${allowZero ? '≥ 0' : '> 0'} (got '${value}')`);
    }
    return n;
  };
}

/** A number that must pass `holds` (`rule` says how, in words). */
export function ruledNumber(
  flag: string,
  { holds, rule }: { holds: (value: number) => boolean; rule: string },
): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !holds(n)) {
      throw new InvalidArgumentError(`${flag} must be ${rule} (got '${value}')`);
    }
    return n;
  };
}
