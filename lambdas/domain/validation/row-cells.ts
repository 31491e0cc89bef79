/**
 * A row's parsed values as the registry's row rules read them (`ParsedCells`: `c.created_at`), kept in an
 * array indexed by the dataset's column order.
 *
 * Why an array behind named getters, not a plain object filled by name: the row checker stores each cell by the
 * column's index (a plain array store), and a rule's `c.created_at` is a getter that V8 sees as the same function
 * at that site every time, so it inlines it into an array load. Filling an object by name (`o[name] = v` with a
 * different name each time round the loop) measured a quarter of the row check's time.
 */
import type { DatasetName } from '../layout.ts';
import type { DatasetSpec, ParsedCells } from '../datasets/registry.ts';
import type { CellValue } from './cells.ts';

/** A row's values: `values[i]` is the value of the dataset's column `i` (undefined when blank or not in the file). */
export interface RowCells {
  readonly values: (CellValue | undefined)[];
  /** The same values, read by column name. */
  readonly byName: ParsedCells;
}

type CellsClass = new (values: (CellValue | undefined)[]) => ParsedCells;

/** One class per dataset, shared by every file: the getters' call sites then stay monomorphic across uploads. */
const classes = new Map<DatasetName, CellsClass>();

function cellsClassOf(spec: DatasetSpec): CellsClass {
  let Cells = classes.get(spec.name);
  if (Cells) return Cells;
  class DatasetCells {
    constructor(readonly values: (CellValue | undefined)[]) {}
  }
  spec.columns.forEach((column, i) => {
    Object.defineProperty(DatasetCells.prototype, column.name, {
      get(this: DatasetCells) { return this.values[i]; },
      enumerable: true,
    });
  });
  Cells = DatasetCells as unknown as CellsClass;
  classes.set(spec.name, Cells);
  return Cells;
}

/** Empty cells for a dataset's rows (one per file, refilled for each row). */
export function rowCellsOf(spec: DatasetSpec): RowCells {
  const values = spec.columns.map((): CellValue | undefined => undefined);
  return { values, byName: new (cellsClassOf(spec))(values) };
}
