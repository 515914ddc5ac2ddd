package io.switchboard.knowledge;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A passage of an article with its embedding, as stored; the search index is rebuilt from these. */
@Entity
@Table(name = "knowledge_chunk")
public class KnowledgeChunk {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    @Column(name = "article_id", nullable = false, updatable = false)
    public UUID articleId;

    @Column(nullable = false)
    public int ordinal;

    @Column(nullable = false)
    public String heading;

    @Column(nullable = false)
    public String text;

    /** The embedding of the passage's text. */
    @Column(nullable = false)
    public byte[] embedding;

    static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] toVector(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
