import { useState } from 'preact/hooks';
import {
  ASSET_TYPES,
  FILTER_LABELS,
  FILTER_NAMES,
  INTERVALS,
  RANGE_PRESETS,
  viewWindow,
  type AnalyticsView,
  type FilterName,
  type IntervalChoice,
  type RangePreset,
} from '../analytics-view';
import { typeLabel } from '../format';

const INTERVAL_LABELS: Record<IntervalChoice, string> = {
  auto: 'Automatic',
  minute: 'By the minute',
  hour: 'By the hour',
  day: 'By the day',
};

/**
 * The range, interval and filters of an analytics view, as a form: "Apply" puts them in the URL
 * (`onApply`), so the view can be shared and the back button undoes a change.
 */
export function AnalyticsControls({
  view,
  now,
  filters = true,
  onApply,
}: {
  view: AnalyticsView;
  now: Date;
  /** Offer the filters (the per-asset view has its asset as its filter). */
  filters?: boolean;
  onApply: (view: AnalyticsView) => void;
}) {
  const span = viewWindow(view, now);
  const [range, setRange] = useState<AnalyticsView['range']>(view.range);
  const [from, setFrom] = useState(view.from ?? span.from.slice(0, 10));
  // A preset's end is the next full hour: the last day it touches.
  const [to, setTo] = useState(view.to ?? new Date(Date.parse(span.to) - 1).toISOString().slice(0, 10));
  const [interval, setInterval] = useState<IntervalChoice>(view.interval);
  const [values, setValues] = useState<Record<FilterName, string>>(
    Object.fromEntries(FILTER_NAMES.map((n) => [n, (view.filters[n] ?? []).join(', ')])) as Record<
      FilterName,
      string
    >,
  );

  const submit = (e: Event) => {
    e.preventDefault();
    const picked: AnalyticsView['filters'] = {};
    for (const name of FILTER_NAMES) {
      const list = values[name]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (list.length > 0) picked[name] = list;
    }
    onApply({
      range,
      ...(range === 'custom' ? { from, to: to < from ? from : to } : {}),
      interval,
      filters: picked,
    });
  };

  return (
    <form class="analytics-controls" onSubmit={submit} aria-label="Analytics view">
      <div class="field">
        <label for="analytics-range">Range</label>
        <select
          id="analytics-range"
          value={range}
          onChange={(e) => setRange(e.currentTarget.value as RangePreset | 'custom')}
        >
          {Object.entries(RANGE_PRESETS).map(([k, p]) => (
            <option key={k} value={k}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom dates</option>
        </select>
      </div>
      {range === 'custom' && (
        <>
          <div class="field">
            <label for="analytics-from">From</label>
            <input
              id="analytics-from"
              type="date"
              value={from}
              required
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="analytics-to">To (included)</label>
            <input
              id="analytics-to"
              type="date"
              value={to}
              required
              onInput={(e) => setTo(e.currentTarget.value)}
            />
          </div>
        </>
      )}
      <div class="field">
        <label for="analytics-interval">Interval</label>
        <select
          id="analytics-interval"
          value={interval}
          onChange={(e) => setInterval(e.currentTarget.value as IntervalChoice)}
        >
          {INTERVALS.map((i) => (
            <option key={i} value={i}>
              {INTERVAL_LABELS[i]}
            </option>
          ))}
        </select>
      </div>
      {filters &&
        FILTER_NAMES.map((name) =>
          name === 'type' ? (
            <div class="field" key={name}>
              <label for="analytics-type">{FILTER_LABELS[name]}</label>
              <select
                id="analytics-type"
                value={values.type}
                onChange={(e) => setValues({ ...values, type: e.currentTarget.value })}
              >
                <option value="">Any</option>
                {ASSET_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {typeLabel(t)}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div class="field" key={name}>
              <label for={`analytics-${name}`}>{FILTER_LABELS[name]}</label>
              <input
                id={`analytics-${name}`}
                type="text"
                value={values[name]}
                placeholder="any"
                onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
              />
            </div>
          ),
        )}
      <button type="submit">Apply</button>
    </form>
  );
}
