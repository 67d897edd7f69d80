import { useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api';
import { useApp } from '../app-context';
import type { Suggestion } from '../types';

const DEBOUNCE_MS = 200;
const MAX_PREFIX = 200;

/**
 * The query box: a combobox (ARIA 1.2 list autocomplete) whose listbox offers suggestions by prefix.
 * Arrows move through them, Enter picks one or searches, Escape closes the list.
 */
export function SearchBox(props: {
  initial: string;
  onSearch: (q: string) => void;
  onPick: (s: Suggestion) => void;
}) {
  const { api } = useApp();
  const [value, setValue] = useState(props.initial);
  // Only typing asks for suggestions, not a value set by navigation or a pick.
  const [typed, setTyped] = useState(false);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // A new query from navigation replaces the text, during render: an effect would run after paint and
  // could wipe what the user typed first.
  const [shownInitial, setShownInitial] = useState(props.initial);
  if (props.initial !== shownInitial) {
    setShownInitial(props.initial);
    setValue(props.initial);
    setTyped(false);
  }

  useEffect(() => {
    const prefix = value.trim();
    if (!typed || !prefix || prefix.length > MAX_PREFIX) {
      setSuggestions([]);
      setOpen(false);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<{ suggestions: Suggestion[] }>('/v1/suggest', {
          query: { q: prefix, limit: 8 },
          signal: ctl.signal,
        })
        .then(
          (r) => {
            setSuggestions(r.suggestions);
            setActive(-1);
            setOpen(r.suggestions.length > 0);
          },
          // Suggestions are an aid: when they fail the box works without them.
          (err: unknown) => {
            if (!isAbort(err)) setOpen(false);
          },
        );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value, typed]);

  const pick = (s: Suggestion) => {
    setOpen(false);
    setTyped(false);
    props.onPick(s);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = suggestions.length;
    switch (e.key) {
      case 'ArrowDown':
        if (n === 0) return;
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a + 1) % n);
        break;
      case 'ArrowUp':
        if (n === 0) return;
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a <= 0 ? n : a) - 1);
        break;
      case 'Enter': {
        const s = open ? suggestions[active] : undefined;
        if (s) {
          e.preventDefault();
          pick(s);
        }
        break;
      }
      case 'Escape':
        if (open) {
          e.preventDefault();
          setOpen(false);
        }
        break;
    }
  };

  return (
    <form
      role="search"
      class="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        setOpen(false);
        setTyped(false);
        props.onSearch(value.trim());
      }}
    >
      <label for="search-q">Search</label>
      <div class="combo">
        <input
          id="search-q"
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls="search-suggestions"
          aria-describedby="search-help"
          aria-activedescendant={open && active >= 0 ? `search-option-${active}` : undefined}
          value={value}
          onInput={(e) => {
            setValue(e.currentTarget.value);
            setTyped(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <ul id="search-suggestions" role="listbox" aria-label="Suggestions" hidden={!open}>
          {suggestions.map((s, i) => (
            <li
              key={`${s.kind}:${s.value}`}
              id={`search-option-${i}`}
              role="option"
              aria-selected={i === active}
              // Keeps focus in the input, so the list is not closed by the blur before the click.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(s)}
            >
              {s.value} <span class="kind">{s.kind}</span>
            </li>
          ))}
        </ul>
      </div>
      <button type="submit">Search</button>
      <p id="search-help" class="hint">
        Words, "quoted phrases", -exclusions and filters such as <code>tag:climate</code> or{' '}
        <code>type:video</code>.
      </p>
    </form>
  );
}
