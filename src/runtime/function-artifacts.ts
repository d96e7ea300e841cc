/**
 * The artifact objects a TypeScript function component's `run(inputs, outputs)` receives (the shapes of
 * `InputArtifact` / `OutputArtifact` in src/dsl/function-types.ts, built here from the ExecutorInput).
 * The metrics helpers write KFP's metadata shapes (KFP-NOTES §1.7), so KFP's UI and Sluice's read them
 * the same way: `system.Metrics` is a flat name → number map; `system.ClassificationMetrics` holds
 * `confusionMatrix` and `confidenceMetrics`.
 */
import type { JsonValue } from '../ir/index.ts';
import type { RuntimeArtifact } from './executor-input.ts';
import { localPathOf } from './placeholder-values.ts';

export const METRICS = 'system.Metrics';
export const CLASSIFICATION_METRICS = 'system.ClassificationMetrics';

/** An input artifact: read its content at `path`. */
export class FunctionInputArtifact {
  readonly name: string;
  readonly uri: string;
  readonly metadata: Readonly<Record<string, JsonValue>>;
  readonly #path: string | undefined;

  constructor(artifact: RuntimeArtifact) {
    this.name = artifact.name;
    this.uri = artifact.uri;
    this.metadata = Object.freeze({ ...(artifact.metadata ?? {}) });
    this.#path = localPathOf(artifact);
  }

  get path(): string {
    if (this.#path === undefined) throw new Error(`artifact '${this.name}' (${this.uri}) has no local path`);
    return this.#path;
  }
}

/** An output artifact: write content at `path`, add metadata; metrics helpers for the metric types. */
export class FunctionOutputArtifact {
  readonly name: string;
  readonly uri: string;
  readonly path: string;
  readonly schemaTitle: string;
  readonly metadata: Record<string, JsonValue>;

  constructor(outputName: string, artifact: RuntimeArtifact) {
    const path = localPathOf(artifact);
    if (path === undefined) {
      throw new Error(`output artifact '${outputName}' (${artifact.uri}) has no local path to write to`);
    }
    this.name = artifact.name || outputName;
    this.uri = artifact.uri;
    this.path = path;
    this.schemaTitle = artifact.type?.schemaTitle ?? 'system.Artifact';
    this.metadata = { ...(artifact.metadata ?? {}) };
  }

  /** Records one scalar: `metadata[name] = value` (system.Metrics). */
  logMetric(name: string, value: number): void {
    this.expect(METRICS, 'logMetric');
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`logMetric('${name}'): the value must be a finite number, got ${String(value)}`);
    }
    this.metadata[name] = value;
  }

  /** The confusion matrix, rows and columns in category order (system.ClassificationMetrics). */
  logConfusionMatrix(categories: string[], matrix: number[][]): void {
    this.expect(CLASSIFICATION_METRICS, 'logConfusionMatrix');
    const size = categories.length;
    if (matrix.length !== size || matrix.some((row) => row.length !== size)) {
      throw new TypeError(
        `logConfusionMatrix: the matrix must be ${size}×${size} for ${size} categories (one row and one column per category)`,
      );
    }
    this.metadata.confusionMatrix = {
      annotationSpecs: categories.map((displayName) => ({ displayName })),
      rows: matrix.map((row) => ({ row: [...row] })),
    };
  }

  /** ROC points: threshold, true positive rate (recall), false positive rate (system.ClassificationMetrics). */
  logRocCurve(points: ReadonlyArray<{ threshold: number; tpr: number; fpr: number }>): void {
    this.expect(CLASSIFICATION_METRICS, 'logRocCurve');
    this.metadata.confidenceMetrics = points.map((point) => ({
      confidenceThreshold: point.threshold,
      recall: point.tpr,
      falsePositiveRate: point.fpr,
    }));
  }

  private expect(schemaTitle: string, method: string): void {
    if (this.schemaTitle !== schemaTitle) {
      throw new TypeError(
        `${method}() is for ${schemaTitle} outputs; '${this.name}' is ${this.schemaTitle}. Declare the output as ${schemaTitle.replace('system.', '')}`,
      );
    }
  }
}
