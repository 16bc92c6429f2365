// kubectl-style tables: upper-case headers, left-aligned columns, 3-space gaps.
import { alignTabs } from './tabwriter';

// kubectl's printers.GetNewTabWriter: minwidth 6, padding 3.
const TABLE_TABS = { minWidth: 6, padding: 3 };

/**
 * Renders a table like `kubectl get`. Returns text ending in "\n" (ready for stdout.write),
 * or "" when there are no rows, so the caller can print its "No resources found" message.
 */
export function renderTable(headers: string[], rows: string[][], opts: { upperCaseHeaders?: boolean } = {}): string {
  if (rows.length === 0) return '';
  const head = opts.upperCaseHeaders === false ? headers : headers.map((h) => h.toUpperCase());
  const lines = [head, ...rows].map((cells) => cells.map(cleanCell).join('\t'));
  return alignTabs(lines.join('\n'), TABLE_TABS) + '\n';
}

// A tab or newline inside a cell would break the column layout.
function cleanCell(cell: string): string {
  return cell.replace(/[\t\r\n]+/g, ' ');
}
