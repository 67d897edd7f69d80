import { href } from '../router';
import { useCan } from '../use-permission';

/**
 * The settings pages' own navigation: keys and webhooks, each shown to keys that may use it (the
 * page on screen always, so a key sent there by a link still sees where it is and why it may not).
 */
export function SettingsNav({ current }: { current: 'keys' | 'webhooks' }) {
  const keys = useCan('keys:manage') !== false;
  const webhooks = useCan('webhooks:manage') !== false;
  return (
    <nav aria-label="Settings" class="settings-nav">
      <ul>
        {(keys || current === 'keys') && (
          <li>
            <a href={href.settingsKeys} aria-current={current === 'keys' ? 'page' : undefined}>
              API keys
            </a>
          </li>
        )}
        {(webhooks || current === 'webhooks') && (
          <li>
            <a href={href.settingsWebhooks} aria-current={current === 'webhooks' ? 'page' : undefined}>
              Webhooks
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
