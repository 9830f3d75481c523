import type { Schema, Struct } from '@strapi/strapi';

export interface DirectoryNonresidentCardStatus extends Struct.ComponentSchema {
  collectionName: 'components_directory_nonresident_card_statuses';
  info: {
    description: "A public library's nonresident card decision for one fiscal year";
    displayName: 'Nonresident card status';
    icon: 'id-card';
  };
  attributes: {
    actionDate: Schema.Attribute.Date;
    effectiveDate: Schema.Attribute.Date;
    feeMethod: Schema.Attribute.Enumeration<
      ['tax-bill', 'alternative-formula', 'not-applicable']
    >;
    fiscalYear: Schema.Attribute.Integer &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMax<
        {
          max: 2100;
          min: 2000;
        },
        number
      >;
    notes: Schema.Attribute.Text;
    participates: Schema.Attribute.Boolean &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<false>;
  };
}

export interface DirectoryResourceSharingPolicy extends Struct.ComponentSchema {
  collectionName: 'components_directory_resource_sharing_policies';
  info: {
    description: 'Interlibrary-loan contacts and lending terms of a building';
    displayName: 'Resource sharing policy';
    icon: 'exchange';
  };
  attributes: {
    chargesFees: Schema.Attribute.Boolean & Schema.Attribute.DefaultTo<false>;
    illContactName: Schema.Attribute.String;
    illEmail: Schema.Attribute.Email;
    illPhone: Schema.Attribute.String;
    lastReviewed: Schema.Attribute.Date;
    lendingTerms: Schema.Attribute.Text;
    lendsAudiovisual: Schema.Attribute.Boolean &
      Schema.Attribute.DefaultTo<true>;
    lendsNewMaterials: Schema.Attribute.Boolean &
      Schema.Attribute.DefaultTo<false>;
    lendsReturnables: Schema.Attribute.Boolean &
      Schema.Attribute.DefaultTo<true>;
    loanPeriodDays: Schema.Attribute.Integer &
      Schema.Attribute.SetMinMax<
        {
          min: 0;
        },
        number
      >;
    policyDocument: Schema.Attribute.Media<'files'>;
    renewals: Schema.Attribute.Integer &
      Schema.Attribute.SetMinMax<
        {
          min: 0;
        },
        number
      >;
    reviewReminderSentAt: Schema.Attribute.DateTime & Schema.Attribute.Private;
  };
}

export interface EventLocation extends Struct.ComponentSchema {
  collectionName: 'components_event_locations';
  info: {
    description: 'One place (or videoconference site) where an event happens, with its own seats';
    displayName: 'Event location';
    icon: 'pinMap';
  };
  attributes: {
    building: Schema.Attribute.Relation<'manyToOne', 'api::building.building'>;
    capacity: Schema.Attribute.Integer &
      Schema.Attribute.SetMinMax<
        {
          min: 0;
        },
        number
      >;
    key: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 60;
      }>;
    name: Schema.Attribute.String & Schema.Attribute.Required;
    onlineUrl: Schema.Attribute.String;
  };
}

export interface EventOccurrenceOverride extends Struct.ComponentSchema {
  collectionName: 'components_event_occurrence_overrides';
  info: {
    description: 'Moves or cancels one occurrence of a recurring event without touching the others';
    displayName: 'Occurrence change';
    icon: 'calendar';
  };
  attributes: {
    cancelled: Schema.Attribute.Boolean & Schema.Attribute.DefaultTo<false>;
    end: Schema.Attribute.DateTime;
    note: Schema.Attribute.String;
    occurrence: Schema.Attribute.DateTime & Schema.Attribute.Required;
    start: Schema.Attribute.DateTime;
  };
}

export interface NetworkingContact extends Struct.ComponentSchema {
  collectionName: 'components_networking_contacts';
  info: {
    description: "A platform user, or free text such as 'Unknown' or 'Varies by host library'";
    displayName: 'Group contact';
    icon: 'user';
  };
  attributes: {
    library: Schema.Attribute.String;
    name: Schema.Attribute.String & Schema.Attribute.Required;
    phone: Schema.Attribute.String;
    user: Schema.Attribute.Relation<
      'manyToOne',
      'plugin::users-permissions.user'
    >;
  };
}

export interface ProfileSocialLinks extends Struct.ComponentSchema {
  collectionName: 'components_profile_social_links';
  info: {
    displayName: 'Social links';
    icon: 'globe';
  };
  attributes: {
    bluesky: Schema.Attribute.String;
    facebook: Schema.Attribute.String;
    instagram: Schema.Attribute.String;
    linkedin: Schema.Attribute.String;
    mastodon: Schema.Attribute.String;
    website: Schema.Attribute.String;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'directory.nonresident-card-status': DirectoryNonresidentCardStatus;
      'directory.resource-sharing-policy': DirectoryResourceSharingPolicy;
      'event.location': EventLocation;
      'event.occurrence-override': EventOccurrenceOverride;
      'networking.contact': NetworkingContact;
      'profile.social-links': ProfileSocialLinks;
    }
  }
}
