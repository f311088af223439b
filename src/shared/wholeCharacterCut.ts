// Where to cut a text at a fixed length without splitting a character: shared by the indexer (signatures and doc
// comments cut to their limits) and the results panel (fields cut to the protocol's limits).

/**
 * `at`, or one before it when a cut there would split a character written as a surrogate pair (an emoji): texts are
 * cut at fixed lengths, and half a character is no text (the saved index writes UTF-8, which cannot hold it).
 */
export function wholeCharacterCut(text: string, at: number): number {
  const high = text.charCodeAt(at - 1);
  const low = text.charCodeAt(at);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? at - 1 : at;
}
