package shop.adminorders;

import java.util.Collection;
import java.util.Map;

/**
 * The subjects the owner knows campaigns by (the Campaigns tab's list), for lines that name a campaign by its id
 * ({@code CAMPAIGN#<id>}).
 */
public interface CampaignSubjects {

    /**
     * The subject of each of {@code campaignIds} that is a campaign still kept, by id, read together (one batch read for
     * a page of the trail, never one read per line); an id with no such campaign is absent.
     */
    Map<String, String> of(Collection<String> campaignIds);
}
