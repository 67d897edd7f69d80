import { href } from '../router';

/** The settings pages' own navigation: keys and webhooks. */
export function SettingsNav({ current }: { current: 'keys' | 'webhooks' }) {
  return (
    <nav aria-label="Settings" class="settings-nav">
      <ul>
        <li>
          <a href={href.settingsKeys} aria-current={current === 'keys' ? 'page' : undefined}>
            API keys
          </a>
        </li>
        <li>
          <a href={href.settingsWebhooks} aria-current={current === 'webhooks' ? 'page' : undefined}>
            Webhooks
          </a>
        </li>
      </ul>
    </nav>
  );
}
