// One status line that changes over time (`rollout status`, `drain`): rewritten in place on a
// terminal, printed once per distinct text otherwise so logs stay readable.

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

const CLEAR_LINE = '\r\x1b[K';

export class Progress {
  private last: string | undefined;
  private lineOpen = false;

  constructor(private readonly out: ProgressStream = process.stdout) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  /** Shows `text` as the current status. */
  update(text: string): void {
    if (text === this.last) return;
    this.last = text;
    if (this.tty) {
      this.out.write(CLEAR_LINE + text);
      this.lineOpen = true;
    } else {
      this.out.write(text + '\n');
    }
  }

  /** Ends the status line, optionally replacing it with a final message (always printed). */
  done(finalText?: string): void {
    if (this.tty) {
      if (finalText !== undefined) this.out.write(CLEAR_LINE + finalText + '\n');
      else if (this.lineOpen) this.out.write('\n');
    } else if (finalText !== undefined) {
      this.out.write(finalText + '\n');
    }
    this.lineOpen = false;
    this.last = undefined;
  }
}
