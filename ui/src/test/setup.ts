import '@testing-library/jest-dom';

// A component test is CPU-bound (React's development build rendering into jsdom): the editor's
// longest takes ~0.7 s of CPU alone, so at a load average of 15 on 2 cores (other suites, CI
// neighbours) it needs several seconds of wall time. Jest's 5 s default then fails a test that is
// merely starved; 15 s still catches a test that hangs waiting for something. (Jest 29 reads
// `testTimeout` only at the top level of its config, not per project, hence here.)
jest.setTimeout(15_000);

// React Flow measures nodes and the viewport; jsdom has no layout engine, so give it the few
// browser APIs it needs (see React Flow's testing guide).
class ResizeObserverStub {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback([{ target, contentRect: { width: 800, height: 600 } } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnlyStub {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? +scale : 1;
  }
}

Object.assign(globalThis, { ResizeObserver: ResizeObserverStub, DOMMatrixReadOnly: DOMMatrixReadOnlyStub });

Object.defineProperties(globalThis.HTMLElement.prototype, {
  offsetHeight: {
    get() {
      return parseFloat(this.style.height) || 60;
    },
  },
  offsetWidth: {
    get() {
      return parseFloat(this.style.width) || 200;
    },
  },
});
(globalThis.SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;

// jsdom lacks these; the editor uses them for focus and smooth scrolling.
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = function scrollIntoView() {};
if (!globalThis.matchMedia) {
  globalThis.matchMedia = ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  })) as typeof matchMedia;
}

// jsdom lacks structuredClone (dagre uses it on plain graph labels).
if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = (<T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)))) as typeof structuredClone;
}
