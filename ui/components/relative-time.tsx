import { formatDate, relativeTime } from '../format';

/** A moment as "3 minutes ago", with the date and time in full in its title and `datetime`. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {relativeTime(iso)}
    </time>
  );
}
