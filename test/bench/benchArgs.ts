/** A benchmark's command line: `--name value` flags, read by name with the benchmark's defaults. */
export interface BenchArgs {
  /** The value after `--name`; undefined when the flag is absent. */
  text(name: string): string | undefined;
  number(name: string, fallback: number): number;
  /** A comma-separated value, e.g. `--engines sqlite,postgres`. */
  list(name: string, fallback: string): string[];
}

/** Reads `--name value` flags from `argv` (process.argv without node and the script). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const text = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    text,
    number: (name, fallback) => Number(text(name) ?? fallback),
    list: (name, fallback) => (text(name) ?? fallback).split(','),
  };
}
