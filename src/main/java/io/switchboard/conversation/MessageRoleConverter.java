package io.switchboard.conversation;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores roles in the lower case the API and the table's check constraint use. */
@Converter
public class MessageRoleConverter implements AttributeConverter<MessageRole, String> {

    @Override
    public String convertToDatabaseColumn(MessageRole role) {
        return role == null ? null : role.wireName();
    }

    @Override
    public MessageRole convertToEntityAttribute(String value) {
        return value == null ? null : MessageRole.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
