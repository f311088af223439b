// Text for a VS Code notification (show…Message). A notification's message is plain text except for links written
// `[label](href)` with an https:, http:, command: or file: href, which VS Code makes clickable (its parseLinkedText:
// no backslash escapes, so a `\[` would show as written). Text the server or the agent wrote — a run's summary or
// status, a pull request's title, an error body's message — can hold such a link (an instruction planted in a repository
// or issue can shape a summary): `[Open PR #12](https://evil.example/login)` would be a trusted-looking link in our
// notification, `[fix](command:…)` would run a command. Putting a space between `]` and `(` breaks every such link
// while the text still reads as written.

/** `text` with no `[label](href)` link VS Code's notifications would render: each `](` becomes `] (`. */
export function noticeText(text: string): string {
  return text.replace(/\]\(/g, '] (');
}
