"use client";

// Paints a photo's BlurHash under it while the photo loads (decoded in the browser: a hash is
// about 30 characters, the decoded pixels would be kilobytes of HTML).
import { decode } from "blurhash";
import { useEffect, useRef } from "react";

const SIZE = 32;

export function Blurhash({ hash }: { hash: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    try {
      const pixels = decode(hash, SIZE, SIZE);
      const image = context.createImageData(SIZE, SIZE);
      image.data.set(pixels);
      context.putImageData(image, 0, 0);
    } catch {
      // A malformed hash leaves the dominant colour showing, which is placeholder enough.
    }
  }, [hash]);
  return <canvas ref={canvas} width={SIZE} height={SIZE} className="photo__blurhash" aria-hidden="true" />;
}
