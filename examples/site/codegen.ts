// GraphQL Code Generator: checks the site's documents against the CMS's committed schema and
// writes their TypeScript types to src/gql/. `persistedDocuments` also writes
// src/gql/persisted-documents.json ({"sha256:<hash>": document}), the manifest the CMS's
// `manage.py register_queries` takes, and puts each document's hash on it, so the site can
// query by hash over GET.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
