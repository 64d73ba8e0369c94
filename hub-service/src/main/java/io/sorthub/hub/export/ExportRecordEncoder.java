package io.sorthub.hub.export;

import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.ExportRecordFlyweight;
import io.sorthub.protocol.Frame;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * A journal scan record as the Kafka record the exporter publishes (docs/EXPORT.md): the
 * value in {@link ExportRecordFlyweight}'s format, keyed by barcode, or by hub and source when
 * there is none (no-reads, chute events), so that a resend lands in the first copy's partition.
 *
 * <p>Key and value arrays are reused, one per length: the producer copies them into its batch
 * inside {@code send()} (the byte-array serializer hands the array itself over), so after
 * {@code send()} returns they are free again. That leaves the record object the client API
 * needs as the only garbage per event. Exporter thread only.
 */
final class ExportRecordEncoder {
    private final String topic;
    private final byte[] hubId;
    private final ExportRecordFlyweight out = new ExportRecordFlyweight();
    private final UnsafeBuffer valueBuffer = new UnsafeBuffer(new byte[0]);
    private final byte[][] values = new byte[ExportRecordFlyweight.MAX_LENGTH + 1][];
    private final byte[][] keys = new byte[256][];
    private byte[] lastSourceKey;
    private int lastKeySource;

    ExportRecordEncoder(String topic, String hubId) {
        this.topic = topic;
        this.hubId = hubId.getBytes(StandardCharsets.US_ASCII);
    }

    /** @param record a journal scan record at offset 0 */
    ProducerRecord<byte[], byte[]> encode(UnsafeBuffer record, long journalIndex, boolean possibleDuplicate) {
        final int scanLength = record.getInt(ScanRecord.SCAN_OFFSET + Frame.LENGTH_OFFSET, BYTE_ORDER);
        final byte[] value = array(values, ExportRecordFlyweight.HUB_ID_OFFSET + hubId.length + scanLength);
        valueBuffer.wrap(value);
        out.wrap(valueBuffer, 0).encodeHeader(hubId,
            record.getInt(ScanRecord.SOURCE_ID_OFFSET, BYTE_ORDER), journalIndex,
            record.getLong(ScanRecord.RECEIVED_AT_OFFSET, BYTE_ORDER),
            record.getLong(ScanRecord.PLAN_VERSION_OFFSET, BYTE_ORDER),
            record.getInt(ScanRecord.RULE_ID_OFFSET, BYTE_ORDER),
            record.getShort(ScanRecord.OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF,
            record.getByte(ScanRecord.REASON_OFFSET) & 0xFF,
            possibleDuplicate ? ExportRecordFlyweight.FLAG_POSSIBLE_DUPLICATE : 0);
        valueBuffer.putBytes(out.scanOffset(), record, ScanRecord.SCAN_OFFSET, scanLength);
        final int barcodeAt = ScanRecord.barcodeFieldAt(record, 0);
        final int barcodeLength = record.getByte(barcodeAt) & 0xFF;
        final byte[] key;
        if (barcodeLength > 0) {
            key = array(keys, barcodeLength);
            record.getBytes(barcodeAt + 1, key);
        } else {
            key = sourceKey(record.getInt(ScanRecord.SOURCE_ID_OFFSET, BYTE_ORDER));
        }
        return new ProducerRecord<>(topic, key, value);
    }

    private byte[] sourceKey(int sourceId) {
        if (sourceId != lastKeySource || lastSourceKey == null) {
            lastSourceKey = (new String(hubId, StandardCharsets.US_ASCII) + "/" + sourceId).getBytes(StandardCharsets.US_ASCII);
            lastKeySource = sourceId;
        }
        return lastSourceKey;
    }

    private static byte[] array(byte[][] byLength, int length) {
        byte[] a = byLength[length];
        if (a == null) {
            a = new byte[length];
            byLength[length] = a;
        }
        return a;
    }
}
