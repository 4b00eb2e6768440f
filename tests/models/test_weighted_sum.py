import numpy as np
import pytest

from siting.models.weighted_sum import weighted_sum_into


def _suitabilities() -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    return [rng.random((4, 6), dtype=np.float32) for _ in range(3)]


def test_an_iterator_in_one_reused_buffer_sums_as_a_list():
    suits, weights = _suitabilities(), np.array([0.5, 0.3, 0.2])
    buffer = np.empty((4, 6), dtype=np.float32)

    def one_buffer():
        for s in suits:
            np.copyto(buffer, s)
            yield buffer

    from_list = weighted_sum_into(np.empty((4, 6), np.float32), suits, weights)
    from_iterator = weighted_sum_into(np.empty((4, 6), np.float32), one_buffer(), weights)
    np.testing.assert_array_equal(from_iterator.view(np.uint32), from_list.view(np.uint32))


@pytest.mark.parametrize("count", [2, 4])
def test_a_suitability_count_other_than_the_weights_is_refused(count):
    suits = (_suitabilities() * 2)[:count]
    with pytest.raises(ValueError, match="3 weights for"):
        weighted_sum_into(np.empty((4, 6), np.float32), iter(suits), np.array([0.5, 0.3, 0.2]))
