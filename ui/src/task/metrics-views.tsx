/** Metric artifacts as KFP writes them: scalars, a confusion matrix, a ROC curve. */
import { lazy, Suspense } from 'react';
import type { Json } from '../lib/api-types.ts';
import { metricNumber } from '../lib/format.ts';
import type { RocPoint } from './roc-curve.tsx';

// The chart library is large; it loads when a ROC curve is first shown.
const RocCurve = lazy(() => import('./roc-curve.tsx').then((module) => ({ default: module.RocCurve })));

type Metadata = Record<string, Json>;

export function ScalarMetrics({ metadata }: { metadata: Metadata }) {
  const scalars = Object.entries(metadata).filter(([, value]) => typeof value === 'number');
  if (scalars.length === 0) return null;
  return (
    <table className="grid" data-testid="metrics-table">
      <tbody>
        {scalars.map(([name, value]) => (
          <tr key={name}>
            <td>{name}</td>
            <td className="num">{metricNumber(value as number)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ConfusionMatrix {
  annotationSpecs?: { displayName?: string }[];
  rows?: { row?: number[] }[];
}

export function ConfusionMatrixView({ matrix }: { matrix: ConfusionMatrix }) {
  const labels = (matrix.annotationSpecs ?? []).map((spec, index) => spec.displayName ?? String(index));
  const rows = (matrix.rows ?? []).map((row) => row.row ?? []);
  const max = Math.max(1, ...rows.flat());
  return (
    <table className="grid matrix" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th>actual ↓ / predicted →</th>
          {labels.map((label) => (
            <th key={label}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, rowIndex) => (
          <tr key={labels[rowIndex] ?? rowIndex}>
            <th>{labels[rowIndex] ?? rowIndex}</th>
            {row.map((value, column) => (
              <td
                // biome-ignore lint/suspicious/noArrayIndexKey: matrix cells are positional
                key={column}
                style={{
                  background: `rgba(29, 95, 191, ${(0.08 + (0.8 * value) / max).toFixed(2)})`,
                  color: value / max > 0.5 ? '#fff' : undefined,
                }}
              >
                {value}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything a metrics artifact's metadata holds, each in its own view. */
export function MetricsMetadata({ metadata }: { metadata: Metadata }) {
  const matrix = metadata.confusionMatrix;
  const roc = metadata.confidenceMetrics;
  return (
    <>
      <ScalarMetrics metadata={metadata} />
      {matrix && typeof matrix === 'object' && !Array.isArray(matrix) && (
        <ConfusionMatrixView matrix={matrix as ConfusionMatrix} />
      )}
      {Array.isArray(roc) && roc.length > 0 && (
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <RocCurve points={roc as RocPoint[]} />
        </Suspense>
      )}
    </>
  );
}
