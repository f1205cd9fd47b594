/** The compile tab's monaco editor, loaded, focused and emptied (as a person does with Ctrl+A, Delete). */
import { expect, type Locator, type Page } from '@playwright/test';

export async function emptyCompileEditor(page: Page): Promise<Locator> {
  await page.getByTestId('tab-compile').click();
  const editor = page.locator('.monaco-editor').first();
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  return editor;
}
