/** A ROC curve from KFP's `confidenceMetrics` points (loaded on demand: it brings the chart library). */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface RocPoint {
  confidenceThreshold?: number;
  falsePositiveRate?: number;
  recall?: number;
}

export function RocCurve({ points }: { points: RocPoint[] }) {
  const data = points
    .map((point) => ({
      fpr: point.falsePositiveRate ?? 0,
      tpr: point.recall ?? 0,
      threshold: point.confidenceThreshold,
    }))
    .sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
  return (
    <div data-testid="roc-curve" style={{ width: '100%', height: 240 }}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="fpr"
            domain={[0, 1]}
            label={{ value: 'false positive rate', position: 'bottom' }}
          />
          <YAxis type="number" domain={[0, 1]} />
          <Tooltip />
          <Line type="monotone" dataKey="tpr" stroke="#1d5fbf" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
