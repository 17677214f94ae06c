/**
 * Escalation: notifications to people (webhook posts) when drift, an open circuit or dead letters
 * pass a configured threshold, each sent once per episode and recorded.
 */
package dev.paritysync.app.escalation;
