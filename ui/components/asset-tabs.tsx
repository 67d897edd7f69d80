import { href } from '../router';
import { useCan } from '../use-permission';

/**
 * The asset page's tabs, as links (each tab is a URL that can be shared): its details, and its
 * analytics for a key that may read metrics.
 */
export function AssetTabs({ id, current }: { id: string; current: 'details' | 'analytics' }) {
  const canRead = useCan('metrics:read');
  if (canRead === false) return null;
  return (
    <nav class="asset-tabs" aria-label="Asset views">
      <a href={href.asset(id)} aria-current={current === 'details' ? 'page' : undefined}>
        Details
      </a>
      <a href={href.assetAnalytics(id)} aria-current={current === 'analytics' ? 'page' : undefined}>
        Analytics
      </a>
    </nav>
  );
}
