// The framework in one place: Preact's h and hooks, and htm bound to h,
// so components write html`<div>…</div>` instead of JSX.
import { h, render, Component, Fragment, createRef } from '../vendor/preact.js';
import htm from '../vendor/htm.js';

export { h, render, Component, Fragment, createRef };
export {
  useState, useEffect, useLayoutEffect, useRef, useMemo, useCallback, useReducer,
} from '../vendor/hooks.js';

export const html = htm.bind(h);

// memo renders fn again only when a prop changed (by identity): the
// message list re-renders on every event, its rows only when theirs did.
export function memo(fn) {
  class Memo extends Component {
    shouldComponentUpdate(next) {
      const a = this.props;
      for (const k in a) if (a[k] !== next[k]) return true;
      for (const k in next) if (!(k in a)) return true;
      return false;
    }
    render(props) { return fn(props); }
  }
  Memo.displayName = fn.name;
  return Memo;
}
