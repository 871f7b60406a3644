import type { NodeKind } from '@mlsight/contract';

interface Props {
  kind: NodeKind;
  width: number;
  height: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
}

/** One outline per node kind, centred on (0, 0), so kinds are told apart without colour. */
export function NodeShape({ kind, width: w, height: h, fill, stroke, strokeWidth }: Props) {
  const common = { fill, stroke, strokeWidth };
  const x = -w / 2;
  const y = -h / 2;
  switch (kind) {
    case 'dataset': {
      // Cylinder: a database-like drum.
      const ry = Math.min(6, h / 6);
      return (
        <g data-shape="dataset">
          <path
            d={`M${x},${y + ry} A${w / 2},${ry} 0 0 1 ${-x},${y + ry} V${-y - ry} A${w / 2},${ry} 0 0 1 ${x},${-y - ry} Z`}
            {...common}
          />
          <path
            d={`M${x},${y + ry} A${w / 2},${ry} 0 0 0 ${-x},${y + ry}`}
            fill="none"
            stroke={stroke}
            strokeWidth={1}
          />
        </g>
      );
    }
    case 'pipeline': {
      const c = h / 3;
      return (
        <polygon
          data-shape="pipeline"
          points={`${x + c},${y} ${-x - c},${y} ${-x},0 ${-x - c},${-y} ${x + c},${-y} ${x},0`}
          {...common}
        />
      );
    }
    case 'logged_model':
      return (
        <g data-shape="logged_model">
          <rect x={x} y={y} width={w} height={h} rx={2} {...common} />
          <rect x={x + 3} y={y + 3} width={w - 6} height={h - 6} rx={1} fill="none" stroke={stroke} strokeWidth={1} />
        </g>
      );
    case 'model_version':
      return <rect data-shape="model_version" x={x} y={y} width={w} height={h} rx={h / 2} {...common} />;
    case 'alias': {
      const c = h / 2;
      return (
        <polygon data-shape="alias" points={`${x + c},${y} ${-x},${y} ${-x},${-y} ${x + c},${-y} ${x},0`} {...common} />
      );
    }
    case 'step':
    default:
      return <rect data-shape="step" x={x} y={y} width={w} height={h} rx={4} {...common} />;
  }
}
