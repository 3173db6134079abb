export interface Figure {
  value: number
  unit: string
  text: string
  command: string
  measuredAt: string
}
export type FigureFile = Record<string, Figure>
export const ROOT: string
export const FIGURES_DIR: string
export function figure(value: number, unit: string, text: string, command: string, measuredAt?: string): Figure
export function writeFigureFile(dir: string, name: string, figures: FigureFile): string
export function readFigures(dir?: string): Map<string, FigureFile>
export function documents(root?: string): string[]
export function renderDocument(
  text: string,
  figures: Map<string, FigureFile>,
  file?: string
): { text: string; problems: string[] }
export function checkDocument(text: string, figures: Map<string, FigureFile>, file?: string): string[]
export function run(opts?: { root?: string; dir?: string; write?: boolean }): string[]
export function markdownTable(headers: string[], rows: (string | number)[][]): string
