// The last `bytes` bytes of UTF-8 text, starting at a whole character (a cut may split one).
export function keepTail(bytes: Buffer, limit: number): string {
  let start = Math.max(0, bytes.length - limit);
  const first = start;
  while (start < bytes.length && start - first < 4 && ((bytes[start] as number) & 0xc0) === 0x80)
    start += 1;
  return bytes.subarray(start).toString('utf8');
}
