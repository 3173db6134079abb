/** The parsed-expression types that ast.ts (checks) and infer.ts (static types) both walk. */
import type { parse } from '@bufbuild/cel'

/** The parser's output. */
export type ParsedExpr = ReturnType<typeof parse>
/** One node of the parsed expression. */
export type Expr = ParsedExpr['expr']

/** A problem found in the tree, at a node. */
export interface AstProblem {
  message: string
  /** Offset in the parsed (preprocessed) text. */
  offset?: number
}
