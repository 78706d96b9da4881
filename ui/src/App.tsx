import { useEffect, useState } from 'react';

type Locale = 'es' | 'en';
const text = {
  es: { title: 'Cauce', subtitle: 'Automatización de experiencia de cliente', health: 'Estado del sistema', up: 'en marcha', down: 'caído', docs: 'Documentación de la API' },
  en: { title: 'Cauce', subtitle: 'Customer-experience automation', health: 'System status', up: 'up', down: 'down', docs: 'API documentation' },
} as const;

interface Health {
  status: string;
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

export function App() {
  const [locale, setLocale] = useState<Locale>('es');
  const [health, setHealth] = useState<Health | null>(null);
  const t = text[locale];
  useEffect(() => {
    const load = () => fetch('/api/health').then((r) => r.json()).then(setHealth).catch(() => setHealth(null));
    load();
    const id = setInterval(load, 5000);
    return () => clearInterval(id);
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '48px auto', padding: '0 16px' }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h1>{t.title}</h1>
        <button onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}>{locale === 'es' ? 'English' : 'Español'}</button>
      </header>
      <p>{t.subtitle}</p>
      <h2>{t.health}</h2>
      <ul data-testid="health">
        {health &&
          Object.entries(health.checks).map(([name, c]) => (
            <li key={name}>
              {name}: <strong>{c.status === 'up' ? t.up : t.down}</strong> ({c.latencyMs} ms){c.error ? ` — ${c.error}` : ''}
            </li>
          ))}
      </ul>
      <p>
        <a href="/api/docs">{t.docs}</a>
      </p>
    </main>
  );
}
