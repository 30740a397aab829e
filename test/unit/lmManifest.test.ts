import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandIds } from '../../src/commands/commandIds';
import { LM_VENDOR } from '../../src/lm/vendor';
import { dataCollectionValues, providerSorts, reasoningEfforts, ROUTING_SECTION, routingSettingKeys } from '../../src/routing';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    languageModelChatProviders: Array<{ vendor: string; displayName: string; managementCommand?: string }>;
    configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;

describe('package.json contributions for the editor’s chat and routing', () => {
  it('contributes the language model vendor the code registers, with its manage command', () => {
    const [entry, ...rest] = manifest.contributes.languageModelChatProviders;
    assert.equal(rest.length, 0);
    assert.equal(entry?.vendor, LM_VENDOR);
    assert.equal(entry?.managementCommand, commandIds.manageLanguageModels);
    assert.ok(manifest.contributes.commands.some((c) => c.command === commandIds.manageLanguageModels));
  });

  it('declares every routing setting the reader reads, with the same choices', () => {
    const properties = manifest.contributes.configuration.properties;
    const declared = Object.keys(properties).filter((key) => key.startsWith(`${ROUTING_SECTION}.`)).sort();
    assert.deepEqual(declared, Object.values(routingSettingKeys).map((key) => `${ROUTING_SECTION}.${key}`).sort());
    assert.deepEqual(properties[`${ROUTING_SECTION}.sort`]?.enum, [...providerSorts]);
    assert.deepEqual(properties[`${ROUTING_SECTION}.dataCollection`]?.enum, [...dataCollectionValues]);
    assert.deepEqual(properties[`${ROUTING_SECTION}.reasoningEffort`]?.enum, [...reasoningEfforts]);
  });
});
