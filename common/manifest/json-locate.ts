// Finds where JSON text first goes wrong. JSON.parse in current V8 no longer reports a position, and
// "line 3, column 11" is what a user needs to fix a hand-written manifest. Only runs after JSON.parse failed.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Fail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const found = () => (i < text.length ? JSON.stringify(text[i]) : 'end of input');
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw new Fail(i, `expected ${JSON.stringify(c)}, found ${found()}`);
    i++;
  };
  const str = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Fail(i, 'control character in string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Fail(i, 'bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) throw new Fail(i, 'bad escape in string');
      }
      i++;
    }
    if (i >= text.length) throw new Fail(i, 'unterminated string');
    i++;
  };
  const scalar = () => {
    if (text[i] === '"') return str();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) throw new Fail(i, `expected a value, found ${found()}`);
    i += m[0].length;
  };
  // A loop with its own stack of open brackets, not recursion: JSON.parse takes any depth, and a
  // deeply nested broken document must get its position, not overflow the call stack.
  const value = (): void => {
    const open: ('{' | '[')[] = [];
    for (;;) {
      // Expecting a value (or, right after an opening bracket, possibly its closing one).
      ws();
      const c = text[i];
      if (c === '{') {
        i++;
        ws();
        if (text[i] === '}') i++;
        else {
          open.push('{');
          ws();
          if (text[i] !== '"') throw new Fail(i, `expected a quoted key, found ${found()}`);
          str();
          expect(':');
          continue;
        }
      } else if (c === '[') {
        i++;
        ws();
        if (text[i] === ']') i++;
        else {
          open.push('[');
          continue;
        }
      } else {
        scalar();
      }
      // A value ended: close brackets until one continues with a comma, or everything is closed.
      for (;;) {
        const inside = open[open.length - 1];
        if (inside === undefined) return;
        const close = inside === '{' ? '}' : ']';
        ws();
        if (text[i] === ',') {
          i++;
          if (inside === '{') {
            ws();
            if (text[i] !== '"') throw new Fail(i, `expected a quoted key, found ${found()}`);
            str();
            expect(':');
          }
          break;
        }
        if (text[i] === close) {
          i++;
          open.pop();
          continue;
        }
        throw new Fail(i, `expected "," or "${close}", found ${found()}`);
      }
    }
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Fail(i, `unexpected ${found()} after the JSON value`);
    return undefined;
  } catch (e) {
    if (e instanceof Fail) return { offset: e.offset, message: e.message };
    throw e;
  }
}
