import assert from 'node:assert/strict';
import { renderTable } from '../../../cli/print/table';
import { alignTabs } from '../../../cli/print/tabwriter';

describe('renderTable', () => {
  it('upper-cases headers, left-aligns columns with 3-space gaps and ends lines without spaces', () => {
    const out = renderTable(['name', 'ready', 'status'], [
      ['web-1', '1/1', 'Running'],
      ['api-server-7f9c', '0/1', 'CrashLoopBackOff'],
    ]);
    assert.equal(
      out,
      'NAME              READY   STATUS\n' +
        'web-1             1/1     Running\n' +
        'api-server-7f9c   0/1     CrashLoopBackOff\n',
    );
  });

  it('gives narrow columns kubectl\'s minimum width of 6', () => {
    assert.equal(renderTable(['A', 'B'], [['x', 'y']]), 'A     B\nx     y\n');
  });

  it('drops the padding after an empty last cell', () => {
    const out = renderTable(['NAME', 'DURATION'], [['job-a', '']]);
    assert.equal(out.split('\n')[1], 'job-a');
  });

  it('keeps a cell with a tab or newline on one line', () => {
    assert.equal(renderTable(['NAME', 'MESSAGE'], [['e', 'line one\nline\ttwo']]), 'NAME   MESSAGE\ne      line one line two\n');
  });

  it('returns an empty string when there are no rows', () => {
    assert.equal(renderTable(['NAME'], []), '');
  });

  it('measures width in characters, not UTF-16 units', () => {
    assert.equal(renderTable(['NAME', 'X'], [['🚀a', '1']]), 'NAME   X\n🚀a     1\n');
  });
});

describe('alignTabs (Go tabwriter blocks)', () => {
  it('sizes each run of lines sharing a column separately, restarting after a line without it', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nContainers:\n  app:\n    Image:\tnginx\n';
    assert.equal(
      alignTabs(text, { minWidth: 0, padding: 2 }),
      'Name:       web\nNamespace:  default\nContainers:\n  app:\n    Image:  nginx\n',
    );
  });

  it('aligns continuation lines whose first cell is empty', () => {
    assert.equal(alignTabs('Labels:\ta=1\n\tb=2\n', { minWidth: 0, padding: 2 }), 'Labels:  a=1\n         b=2\n');
  });
});
