import type { ComponentChildren } from 'preact';
import { type EntityKey } from '../entity-routes';
import { href } from '../router';

/**
 * A link to an entity's page (`#/entities/<type>/<name>`). Shows the name unless given children;
 * `withType` prefixes the type ("speaker: Jane Goodall") where the context does not say it.
 */
export function EntityLink(props: EntityKey & { withType?: boolean; children?: ComponentChildren }) {
  const { type, name } = props;
  return (
    <a class="entity-link" href={href.entity({ type, name })}>
      {props.children ?? (props.withType ? `${type.toLowerCase()}: ${name}` : name)}
    </a>
  );
}
