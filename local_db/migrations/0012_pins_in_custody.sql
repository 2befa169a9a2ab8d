-- PINs and the wrong-PIN back-off move to the key custody (device/gate.sqlite): a
-- PIN is now checked by unwrapping that person's copy of the device master key, so
-- no PIN hash rests in the main database for anyone to search offline.
DROP TABLE staff_pins;
DROP TABLE sign_in_attempts;
