/** The default of an exhaustive switch: unreachable while every case is handled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
