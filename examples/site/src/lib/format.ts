const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : "";
}

const ROLE_LABELS: Record<string, string> = {
  WRITTEN_BY: "By",
  PHOTOS_BY: "Photos by",
  ADDITIONAL_REPORTING: "Additional reporting by",
  EDITED_BY: "Edited by",
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role.replaceAll("_", " ").toLowerCase();
}
