/** A parsed YAML document that can say where (line, column) any path inside it was written. */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

export type PathSegment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SyntaxProblem extends Position {
  readonly message: string;
}

export class YamlSource {
  private readonly lines = new LineCounter();
  readonly document: Document;
  readonly syntaxProblems: readonly SyntaxProblem[];

  constructor(readonly text: string) {
    // uniqueKeys (the default) turns a tier, domain or role declared twice into a syntax problem.
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    this.syntaxProblems = this.document.errors.map((error) => {
      const pos = this.lines.linePos(error.pos[0]);
      return { line: pos.line, column: pos.col, message: error.message.split("\n")[0] };
    });
  }

  /** Plain JavaScript value of the document. */
  value(): unknown {
    return this.document.toJS({ maxAliasCount: 100 });
  }

  /**
   * Position of the node at path; with `key`, of the mapping key naming its last segment.
   * Falls back to the deepest existing ancestor, so a missing field points at its parent.
   */
  locate(path: readonly PathSegment[], key = false): Position {
    let node: unknown = this.document.contents;
    let best: Position = { line: 1, column: 1 };
    const at = (n: unknown): Position | undefined => {
      const range = (n as Node | undefined)?.range;
      if (!range) return undefined;
      const pos = this.lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    };
    best = at(node) ?? best;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return best;
        if (last && key) return at(pair.key) ?? best;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
        if (node === undefined) return best;
      } else {
        return best;
      }
      best = at(node) ?? best;
    }
    return best;
  }
}
