/** A round badge with initials; the colour is stable per name. */
import { initials } from '../../shared/names';

const HUES = [210, 160, 275, 20, 330, 190, 45, 110];

export function Avatar({ name, tone, size = 'md' }: { name: string; tone?: 'operator'; size?: 'xs' | 'md' | 'lg' }) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = tone === 'operator' ? 221 : HUES[h % HUES.length];
  return (
    <span class={`avatar avatar-${size}`} style={{ background: `hsl(${hue} 70% 93%)`, color: `hsl(${hue} 55% 32%)` }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
