import { describe, expect, it } from 'vitest';
import { inputForField, normalizeOrigin, readOrigins, settingsSnippet, widgetSnippet } from './sites';

describe('the installation page', () => {
  it('gives the tag the loader reads (data-key) from this server', () => {
    expect(widgetSnippet('https://help.example.com/', 'k_123')).toBe('<script src="https://help.example.com/widget.js"\n        data-key="k_123" async></script>');
    expect(settingsSnippet({ city: 'Москва', plan: 'pro' })).toContain("window.FrontlineSettings = {\n    properties: { city: 'Москва', plan: 'pro' }");
  });

  it('takes an origin with its scheme and nothing after the host', () => {
    expect(normalizeOrigin(' https://Shop.Example.com/ ')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    expect(normalizeOrigin('shop.example.com')).toBeNull();
    expect(normalizeOrigin('https://shop.example.com/catalog')).toBeNull();
    expect(normalizeOrigin('ftp://shop.example.com')).toBeNull();
    expect(normalizeOrigin('https://user@shop.example.com')).toBeNull();
  });

  it('drops blank inputs, names bad and repeated ones by input, and maps the server\'s index back', () => {
    const read = readOrigins(['https://a.example', '', 'a.example', 'https://A.example/', 'https://b.example']);
    expect(read.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(read.inputOf).toEqual([0, 4]);
    expect(read.issues).toEqual([
      { field: 'allowed_origins[2]', reason: 'origin' },
      { field: 'allowed_origins[3]', reason: 'duplicate' },
    ]);
    // The server refused the second origin it got: that is the fifth input.
    expect(inputForField('allowed_origins[1]', read.inputOf)).toBe(4);
    expect(inputForField('allowed_origins', read.inputOf)).toBeNull();
  });
});
