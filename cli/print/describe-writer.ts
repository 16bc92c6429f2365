// kubectl describe's PrefixWriter over a tabwriter (minwidth 0, padding 2). Text is buffered and
// aligned per flush(), so a section written after flush() has its own column widths.
import { alignTabs } from './tabwriter';

const DESCRIBE_TABS = { minWidth: 0, padding: 2 };

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

export class DescribeWriter {
  private pending = '';
  private done = '';

  /** Writes text indented by two spaces per level (only at the start of the text, as in kubectl). */
  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  flush(): void {
    if (!this.pending) return;
    this.done += alignTabs(this.pending, DESCRIBE_TABS);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}
