package uk.wycps.linkage;

import java.util.List;

/**
 * The persons found among the candidates, best first. {@code moreDetail} is empty unless
 * several persons remain that the enquiry cannot tell apart; it then names the attributes that
 * would (e.g. {@code dateOfBirth}, {@code postcode}, {@code gender}).
 */
public record LinkageResult(List<LinkedPerson> persons, List<String> moreDetail) {

    public LinkageResult {
        persons = List.copyOf(persons);
        moreDetail = List.copyOf(moreDetail);
    }

    public boolean ambiguous() {
        return !moreDetail.isEmpty();
    }
}
