import type { NextConfig } from "next";

// Paths end with a slash, as the CMS names them (FRONTEND_PATHS: /articles/<slug>/ ...), so the
// paths in its webhooks and its links are this site's paths exactly.
const nextConfig: NextConfig = {
  trailingSlash: true,
  poweredByHeader: false,
  // Photos come from the CMS as sized renditions; nothing here resizes images.
  images: { unoptimized: true },
};

export default nextConfig;
