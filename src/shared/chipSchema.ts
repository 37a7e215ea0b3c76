// The schema of a composer chip, shared by the protocol (`addAttachments`) and the webview's saved
// draft. Strict, so a chip can never carry an attachment's contents. A module of its own, built from few
// valibot functions, because the webview bundles it.
import { array, type InferOutput, number, optional, picklist, strictObject, string } from 'valibot';
import { ATTACHMENT_KINDS, type DraftChip } from '../core/attachments';

/** An attachment as the view shows it: what it is and where it opens, never its contents. */
export const attachmentChipSchema = strictObject({
  kind: picklist(ATTACHMENT_KINDS),
  label: string(),
  open: optional(strictObject({ uri: string(), startLine: number(), endLine: number() })),
});

export const draftChipSchema = strictObject({ id: string(), ...attachmentChipSchema.entries });

export const draftChipsSchema = array(draftChipSchema);

type Holds<T extends true> = T;
/** Fails to compile when the schema and the DraftChip type drift apart. */
export type ChipSchemaMatches = Holds<[InferOutput<typeof draftChipSchema>] extends [DraftChip] ? ([DraftChip] extends [InferOutput<typeof draftChipSchema>] ? true : false) : false>;
